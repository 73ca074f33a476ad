const Sequencer = require('@jest/test-sequencer').default;

/**
 * The longest suites first: the 100,000-artifact restore and the other scale tests spend most of
 * their time in child processes (Azurite, the emulator), so with two workers the rest of the suite
 * runs beside them instead of after them. Then Jest's own order (previous durations, file size).
 */
const FIRST = [/restoreScale\.test\.ts$/, /verifyScale\.test\.ts$/, /integration\/setup\.test\.ts$/];

class LongestFirst extends Sequencer {
  async sort(tests) {
    const rank = (t) => {
      const i = FIRST.findIndex((re) => re.test(t.path));
      return i === -1 ? FIRST.length : i;
    };
    // Jest's own order may come as a promise; a stable sort keeps it within each rank.
    const ordered = await super.sort(tests);
    return [...ordered].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongestFirst;
