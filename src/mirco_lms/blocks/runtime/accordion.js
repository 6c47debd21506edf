/* accordion.js: sections whose headings open and close them (WAI-ARIA APG accordion). */
registerBlock("accordion", toggles);
