"""Make the sample course's narrated video, its captions and transcripts (run rarely).

    python scripts/make_sample_video.py        (or: make sample-video)

Needs ffmpeg and espeak-ng (Debian packages of the same names). Each slide is drawn by
ffmpeg (a coloured frame with its lines of text), each sentence is spoken by espeak-ng
in English; the sentence timings become the cues of the captions, in every language
the sample course is written in (sr-Cyrl is made from sr-Latn at build time). Writes,
into modules/smuggling-of-migrants/media/:

- smuggling-or-trafficking.mp4 (640×360, H.264 + AAC, a few hundred KB),
- smuggling-or-trafficking.jpg (the poster: the first slide),
- smuggling-or-trafficking.<lang>.vtt and .<lang>.md (captions and transcript).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "modules" / "smuggling-of-migrants" / "media"
NAME = "smuggling-or-trafficking"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SIZE = (640, 360)
PAUSE = 0.35
"""Seconds of silence after each sentence."""

SLIDES: list[tuple[str, list[str]]] = [
    ("#0d2238", ["Smuggling or trafficking?", "Three questions"]),
    ("#2b7bd9", ["1. Consent", "Agreed journey, or deception and force?"]),
    ("#1f6f50", ["2. Exploitation", "Ends on arrival, or the very purpose?"]),
    ("#c0392b", ["3. Border", "Always crossed illegally, or maybe never?"]),
    ("#0d2238", ["When in doubt, protect", "Refer the person for assistance"]),
]
"""Each slide's background colour and lines (the first one large)."""

NARRATION: dict[str, list[list[str]]] = {
    "en": [
        ["Smuggling of migrants and trafficking in persons are different crimes.",
         "Three questions tell them apart."],
        ["First, consent.",
         "A smuggled migrant usually agrees to the journey; a trafficked person does not, "
         "or was deceived or forced."],
        ["Second, exploitation.",
         "Smuggling ends on arrival; exploitation is the very purpose of trafficking."],
        ["Third, the border.",
         "Smuggling always crosses a border illegally; trafficking can happen inside one "
         "country."],
        ["When in doubt, treat the person as a possible victim and refer them for "
         "assistance."],
    ],
    "sr-Latn": [
        ["Krijumčarenje migranata i trgovina ljudima su različita krivična dela.",
         "Tri pitanja ih razlikuju."],
        ["Prvo, pristanak.",
         "Krijumčareni migrant obično pristaje na putovanje; žrtva trgovine ljudima ne "
         "pristaje, ili je prevarena ili prinuđena."],
        ["Drugo, eksploatacija.",
         "Krijumčarenje se završava dolaskom; eksploatacija je sama svrha trgovine ljudima."],
        ["Treće, granica.",
         "Krijumčarenje uvek podrazumeva nezakonit prelazak granice; trgovina ljudima se "
         "može odvijati i unutar jedne zemlje."],
        ["Kada ste u nedoumici, postupajte sa osobom kao sa mogućom žrtvom i uputite je "
         "na pomoć."],
    ],
    "mk": [
        ["Криумчарењето мигранти и трговијата со луѓе се различни кривични дела.",
         "Три прашања ги разликуваат."],
        ["Прво, согласноста.",
         "Криумчарениот мигрант обично се согласува на патувањето; жртвата на трговија "
         "со луѓе не се согласува, или е измамена или принудена."],
        ["Второ, експлоатацијата.",
         "Криумчарењето завршува со пристигнувањето; експлоатацијата е самата цел на "
         "трговијата со луѓе."],
        ["Трето, границата.",
         "Криумчарењето секогаш вклучува незаконско преминување на граница; трговијата "
         "со луѓе може да се случи и во рамките на една земја."],
        ["Кога сте во двоумење, постапувајте со лицето како со можна жртва и упатете го "
         "на помош."],
    ],
}
TRANSCRIPT_TITLE = {"en": "Narration", "sr-Latn": "Naracija", "mk": "Нарација"}


def run(*args: str) -> None:
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def speak(text: str, path: Path) -> float:
    """Speak ``text`` into ``path`` (WAV); its duration in seconds."""
    run("espeak-ng", "-v", "en-gb", "-s", "155", "-w", str(path), text)
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


def join_audio(parts: list[Path], out: Path) -> None:
    """One WAV of ``parts``, each followed by :data:`PAUSE` seconds of silence."""
    with wave.open(str(parts[0])) as first:
        params = first.getparams()
    silence = b"\0" * int(params.framerate * PAUSE) * params.sampwidth * params.nchannels
    with wave.open(str(out), "wb") as joined:
        joined.setparams(params)
        for part in parts:
            with wave.open(str(part)) as wav:
                joined.writeframes(wav.readframes(wav.getnframes()))
            joined.writeframes(silence)


def draw_slide(colour: str, lines: list[str], seconds: float, work: Path, index: int) -> Path:
    """A still clip of one slide, ``seconds`` long."""
    filters = []
    for number, line in enumerate(lines):
        text = work / f"slide{index}-{number}.txt"
        text.write_text(line, encoding="utf-8")
        size = 40 if number == 0 else 24
        y = f"(h/2)-{60 - number * 80}"
        filters.append(f"drawtext=fontfile={FONT}:textfile={text}:fontcolor=white:"
                       f"fontsize={size}:x=(w-text_w)/2:y={y}")
    clip = work / f"slide{index}.mp4"
    run("ffmpeg", "-y", "-f", "lavfi", "-i", f"color=c={colour}:s={SIZE[0]}x{SIZE[1]}:r=5",
        "-t", f"{seconds:.3f}", "-vf", ",".join(filters), "-c:v", "libx264",
        "-pix_fmt", "yuv420p", "-crf", "30", "-preset", "slow", str(clip))
    return clip


def stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    return f"{millis // 60000:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


def write_texts(timings: list[list[tuple[float, float]]]) -> None:
    for language, slides in NARRATION.items():
        cues = ["WEBVTT", ""]
        paragraphs = []
        for sentences, times in zip(slides, timings, strict=True):
            for sentence, (start, end) in zip(sentences, times, strict=True):
                cues += [f"{stamp(start)} --> {stamp(end)}", sentence, ""]
            paragraphs.append(" ".join(sentences))
        (OUT / f"{NAME}.{language}.vtt").write_text("\n".join(cues), encoding="utf-8")
        body = "\n\n".join(paragraphs)
        (OUT / f"{NAME}.{language}.md").write_text(
            f"**{TRANSCRIPT_TITLE[language]}**\n\n{body}\n", encoding="utf-8")


def main() -> int:
    missing = [tool for tool in ("ffmpeg", "espeak-ng") if shutil.which(tool) is None]
    if missing:
        print(f"missing: {', '.join(missing)} (apt-get install {' '.join(missing)})",
              file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        clock = 0.0
        timings: list[list[tuple[float, float]]] = []
        waves: list[Path] = []
        clips: list[Path] = []
        for index, ((colour, lines), sentences) in enumerate(
                zip(SLIDES, NARRATION["en"], strict=True)):
            start_of_slide = clock
            times = []
            for number, sentence in enumerate(sentences):
                path = work / f"s{index}-{number}.wav"
                length = speak(sentence, path)
                waves.append(path)
                times.append((clock, clock + length))
                clock += length + PAUSE
            timings.append(times)
            clips.append(draw_slide(colour, lines, clock - start_of_slide, work, index))
        join_audio(waves, work / "narration.wav")
        listing = work / "clips.txt"
        listing.write_text("".join(f"file '{clip}'\n" for clip in clips), encoding="utf-8")
        run("ffmpeg", "-y", "-f", "concat", "-safe", "0", "-i", str(listing),
            "-i", str(work / "narration.wav"), "-c:v", "copy", "-c:a", "aac", "-b:a", "40k",
            "-ac", "1", "-ar", "22050", "-shortest", "-movflags", "+faststart",
            str(OUT / f"{NAME}.mp4"))
        run("ffmpeg", "-y", "-i", str(clips[0]), "-frames:v", "1", "-q:v", "5",
            str(OUT / f"{NAME}.jpg"))
    write_texts(timings)
    size = (OUT / f"{NAME}.mp4").stat().st_size
    print(f"{NAME}.mp4: {clock:.1f} s, {size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
