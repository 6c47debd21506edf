"""Video, audio and images in packages: captions, transcripts, posters, files per
language, and SVG diagrams translated with the module."""
