import { Writable } from 'node:stream';
import { ConfigError } from '@fan/config';
import { createLogger } from './logger';
import { exitOnFatal } from './shutdown';

function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write: (chunk: Buffer, _enc, done) => {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

const shape = (line: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(line).map(([k, v]) => [k, v !== null && typeof v === 'object' ? shape(v as Record<string, unknown>) : typeof v]),
  );

describe('exitOnFatal', () => {
  let exit: jest.SpyInstance;
  beforeEach(() => {
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  });
  afterEach(() => exit.mockRestore());

  it('writes the line the service logger writes for a fatal error (level 60, time, err serialised), then exits 1', () => {
    const fatal = sink();
    const err = new ConfigError('invalid settings:\n  QUERY_PORT: Expected number, received nan');
    exitOnFatal('query-api', fatal.stream)(err);
    expect(exit).toHaveBeenCalledWith(1);
    expect(fatal.lines).toHaveLength(1);
    const line = JSON.parse(fatal.lines[0]!) as Record<string, unknown>;

    const real = sink();
    createLogger('query-api', 'info', real.stream).fatal({ err }, err.message);
    const pinoLine = JSON.parse(real.lines[0]!) as Record<string, unknown>;

    expect(Object.keys(line)).toEqual(Object.keys(pinoLine));
    expect(shape(line)).toEqual(shape(pinoLine));
    expect({ ...line, time: 't' }).toEqual({ ...pinoLine, time: 't' });
    expect(line).toMatchObject({
      level: 60,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: 'query-api',
      msg: 'invalid settings:\n  QUERY_PORT: Expected number, received nan',
      err: { type: 'ConfigError', message: err.message, stack: err.stack },
    });
    expect(Math.abs(Date.parse(line.time as string) - Date.now())).toBeLessThan(5000);
  });

  it('logs a rejection that is not an Error with its text', () => {
    const fatal = sink();
    exitOnFatal('ingest', fatal.stream)('boom');
    const line = JSON.parse(fatal.lines[0]!) as { level: number; msg: string; err: { type: string } };
    expect([line.level, line.msg, line.err.type]).toEqual([60, 'boom', 'Error']);
    expect(exit).toHaveBeenCalledWith(1);
  });
});
