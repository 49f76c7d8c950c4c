import { Writable } from 'node:stream';
import { createLogger } from './logger';

describe('createLogger', () => {
  it('logs an error under err with its type, message, stack and cause', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('t', 'info', sink);
    logger.warn({ err: new TypeError('boom', { cause: new Error('root') }) }, 'failed');
    const line = JSON.parse(lines[0]!) as { err: { type: string; message: string; stack: string } };
    expect(line.err.type).toBe('TypeError');
    expect(line.err.message).toBe('boom: root'); // pino appends the cause's message
    expect(line.err.stack).toMatch(/^TypeError: boom\n\s+at /);
    expect(JSON.stringify(line.err)).toContain('root');
  });
});
