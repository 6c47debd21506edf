/* cards.js: reveal cards; the front (a button) turns the card over to show its back. */
registerBlock("cards", toggles);
