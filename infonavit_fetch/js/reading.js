// needs: prelude
// The page's reading (see reading() in prelude.js): what a click that did something changes.
() => reading()
