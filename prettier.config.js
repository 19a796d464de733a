/**
 * Prettier, set to the code base as it is written, so that adopting it moves few lines.
 * - printWidth 160: the code keeps one statement on one line where it reads well. Measured
 *   on the tree (lines changed by `prettier --write`): 120 → ~3,400, 140 → ~1,800,
 *   160 → ~1,300, 180 → ~1,100; past 160 the savings are small and lines get hard to read.
 * - embeddedLanguageFormatting off: Prettier would otherwise re-indent the HTML and CSS inside
 *   html`` and css`` templates, which changes the bytes of report.html, not just the source.
 * @type {import('prettier').Config}
 */
export default {
  printWidth: 160,
  singleQuote: true,
  trailingComma: 'all',
  embeddedLanguageFormatting: 'off',
};
