import { PassThrough } from 'node:stream';
import { createProgressBar } from '../../../lib/cli/progress';

function terminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  Object.assign(stream, {
    isTTY: true,
    columns: 100,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

test('draws on a terminal', () => {
  const t = terminal();
  const bar = createProgressBar(
    { out: () => undefined, err: () => undefined, progressStream: t.stream },
    {
      label: 'export',
      unit: 'rows',
      json: false,
    },
  );
  bar.setTotal(200);
  bar.update(50, '| tables 1/2');
  bar.stop();
  expect(t.text()).toContain('export');
  expect(t.text()).toContain('50/200 rows | tables 1/2');
});

test('draws nothing with --json or without a terminal', () => {
  const t = terminal();
  for (const io of [
    { out: () => undefined, err: () => undefined, progressStream: t.stream, json: true },
    { out: () => undefined, err: () => undefined, json: false },
  ]) {
    const bar = createProgressBar(io, { label: 'export', unit: 'rows', json: io.json });
    bar.setTotal(10);
    bar.update(5);
    bar.stop();
  }
  expect(t.text()).toBe('');
});
