/*
 * cmi5.js: the AU side of a cmi5 launch (cmi5 spec §8 and §10). The LMS opens the page
 * with endpoint, fetch, actor, registration and activityId in the query string; the AU
 * POSTs to the fetch URL once for its token (used as "Authorization: Basic <token>"),
 * reads the LMS.LaunchData state document (launchMode, moveOn, masteryScore, returnURL,
 * contextTemplate) and the learner preferences, then starts. No SCORM API in this mode.
 * The endpoint, fetch and returnURL come from whoever wrote the launch URL or the state
 * document: only http(s) URLs are used; anything else (javascript:, data:, file:…) is
 * refused with a message, never fetched nor navigated to.
 */

var CMI5_PARAMS = ["endpoint", "fetch", "actor", "registration", "activityId"];

/** `value` as an absolute http(s) URL (relative to this page), or null for any other
 *  scheme (javascript:, data:, file:, blob:…) and for what is not a URL at all. */
function httpUrl(value) {
  if (typeof value !== "string" || !value) {
    return null;
  }
  var url;
  try {
    url = new URL(value, window.location.href);
  } catch (err) {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
}

/** The launch parameters, or null when the page was not launched by a cmi5 LMS. */
function cmi5Params() {
  var query = new URLSearchParams(window.location.search);
  var out = {};
  for (var i = 0; i < CMI5_PARAMS.length; i += 1) {
    out[CMI5_PARAMS[i]] = query.get(CMI5_PARAMS[i]);
    if (!out[CMI5_PARAMS[i]]) {
      return null;
    }
  }
  try {
    out.actor = JSON.parse(out.actor);
  } catch (err) {
    return null;
  }
  out.endpoint = out.endpoint.replace(/\/?$/, "/");
  return out;
}

function xapiGet(launch, path, params) {
  var query = Object.keys(params).map(function (k) {
    return k + "=" + encodeURIComponent(params[k]);
  }).join("&");
  return window.fetch(launch.endpoint + path + "?" + query, {
    cache: "no-store", credentials: "omit",
    headers: { "Authorization": launch.auth, "X-Experience-API-Version": XAPI_VERSION }
  });
}

/** Run the cmi5 launch sequence; `done(launch)` gets the session, or null if it failed. */
function cmi5Launch(course, done) {
  var launch = cmi5Params();
  if (!launch) {
    warn("no cmi5 launch parameters: this AU must be launched by a cmi5 LMS");
    done(null);
    return;
  }
  var refused = ["endpoint", "fetch"].filter(function (name) {
    var safe = httpUrl(launch[name]);
    launch[name] = safe;
    return !safe;
  });
  if (refused.length) {
    warn("the cmi5 launch parameter '" + refused[0] + "' is not an http(s) URL: refused, " +
      "nothing is sent; ask the LMS administrator to check the launch URL");
    done(null);
    return;
  }
  var agent = JSON.stringify(launch.actor);
  window.fetch(launch.fetch, { method: "POST", credentials: "omit", cache: "no-store" })
    .then(function (res) { return res.json(); })
    .then(function (body) {
      if (!body || !body["auth-token"]) {
        throw new Error("fetch URL error " + (body && body["error-code"]) + ": " +
          (body && body["error-text"]));
      }
      launch.auth = "Basic " + body["auth-token"];
      xapiGet(launch, "agents/profile", { agent: agent, profileId: "cmi5LearnerPreferences" })
        .catch(function () { return null; }); /* read at startup (§11); a 403/404 is fine */
      return xapiGet(launch, "activities/state", { stateId: "LMS.LaunchData",
        activityId: launch.activityId, agent: agent, registration: launch.registration });
    })
    .then(function (res) {
      if (!res.ok) {
        throw new Error("LMS.LaunchData: the LRS answered " + res.status);
      }
      return res.json();
    })
    .then(function (data) {
      launch.launchMode = data.launchMode || "Normal";
      launch.moveOn = data.moveOn || "NotApplicable";
      launch.returnURL = httpUrl(data.returnURL) || "";
      if (data.returnURL && !launch.returnURL) {
        warn("LMS.LaunchData: the returnURL is not an http(s) URL; Exit will not follow it");
      }
      launch.template = data.contextTemplate || {};
      var mastery = parseFloat(data.masteryScore);
      launch.masteryScore = isNaN(mastery) ? null : mastery;
      if (launch.masteryScore !== null) {
        applyMastery(course, launch.masteryScore);
      }
      done(launch);
    })
    .catch(function (err) {
      warn("the cmi5 launch failed", err);
      done(null);
    });
}

/** Judge the final test by the LMS's masteryScore (cmi5 10.2.4), not the course's own. */
function applyMastery(course, score) {
  var percent = Math.round(score * 10000) / 100;
  course.passingScore = percent;
  var final = course.assessments && course.assessments.final;
  if (final) {
    final.passingScore = percent;
  }
}

/** Exit: end the session, wait for the statements, then go back to the LMS (returnURL). */
function cmi5Exit(player, launch, sender) {
  player.finish();
  var gone = false;
  var go = function () {
    if (gone) {
      return;
    }
    gone = true;
    var target = httpUrl(launch.returnURL);
    if (target) {
      window.location.assign(target);
    } else {
      player.status(t("closeWindow"));
    }
  };
  var timer = window.setTimeout(go, 5000);
  sender.drain().then(function () {
    window.clearTimeout(timer);
    go();
  });
}
