import avro from 'avsc';
import { AVRO_SCHEMAS } from '@fan/schemas';
import { startFreshRegistry, type FreshRegistry } from '@fan/test-support';
import { AVRO_OPTIONS } from '../src/avro-long';
import { PoisonRecordError } from '@fan/failures';
import { createDecoder } from '../src/codec';
import { decodeEventStep } from '../src/decode-step';
import { createRegistry, registerSchemas, subjectOf } from '../src/registry';

type Field = { name: string; type: unknown; default?: unknown };
type Rec = { fields: Field[] };
/** A mutable copy of a schema, for writing a changed version of it. */
const copy = (v: unknown): Rec => JSON.parse(JSON.stringify(v)) as Rec;
const propsOf = (r: Rec): Rec => r.fields.find((f) => f.name === 'properties')!.type as Rec;

async function registerVersion(url: string, subject: string, schema: object): Promise<{ status: number; id?: number; text: string }> {
  const res = await fetch(`${url}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(schema), schemaType: 'AVRO' }),
  });
  const text = await res.text();
  return { status: res.status, id: res.ok ? (JSON.parse(text) as { id: number }).id : undefined, text };
}

function frame(id: number, schema: object, record: object): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, avro.Type.forSchema(schema as never, { ...AVRO_OPTIONS } as never).toBuffer(record)]);
}

const like = {
  event_id: 'evo-1',
  user_id: 1234567890123456789n,
  star_id: 7n,
  occurred_at: 1_763_776_800_000n,
  properties: { asset_id: 9007199254740993n, liker_user_id: 42n, amount: 5n },
};
const expected = { ...like, event_type: 'asset.like' };

/**
 * Another team's producer writes with a newer schema the registry accepted (BACKWARD): consumers
 * read it through this build's schema. A fresh registry, so that the versions added here never
 * reach the shared one.
 */
describe("records written with a compatible newer schema are read through this build's schema", () => {
  let reg: FreshRegistry;
  const subject = subjectOf('asset.like');
  beforeAll(async () => {
    reg = await startFreshRegistry();
    await registerSchemas(reg.url);
  }, 180_000);
  afterAll(async () => {
    await reg?.stop();
  });

  const decodeOne = (value: Buffer) => decodeEventStep(createDecoder(createRegistry(reg.url)))({ value, offset: '0' } as never);

  it('a top-level field added with a default, a properties field added with a default, fields reordered', async () => {
    const v2 = copy(AVRO_SCHEMAS['asset.like']);
    v2.fields.push({ name: 'source_app', type: 'string', default: 'unknown' });
    const props = propsOf(v2);
    props.fields.push({ name: 'campaign_id', type: ['null', 'long'], default: null });
    props.fields.reverse();
    const r = await registerVersion(reg.url, subject, v2);
    expect(r.status).toBe(200);

    const event = await decodeOne(
      frame(r.id!, v2, { ...like, source_app: 'java-svc', properties: { ...like.properties, campaign_id: 99n } }),
    );
    expect(event).toEqual({ event: expected, offset: '0' });
  });

  it('a field added with a default and later removed again: records of both versions are read', async () => {
    const withNote = copy(AVRO_SCHEMAS['asset.like']);
    const props = propsOf(withNote);
    props.fields.push({ name: 'note', type: 'string', default: '' });
    const added = await registerVersion(reg.url, subject, withNote);
    expect(added.status).toBe(200);
    const removed = copy(AVRO_SCHEMAS['asset.like']);
    propsOf(removed).fields.reverse();
    const dropped = await registerVersion(reg.url, subject, removed);
    expect(dropped.status).toBe(200);
    expect(await decodeOne(frame(added.id!, withNote, { ...like, properties: { ...like.properties, note: 'hi' } }))).toEqual({
      event: expected,
      offset: '0',
    });
    expect(await decodeOne(frame(dropped.id!, removed, like))).toEqual({ event: expected, offset: '0' });
  });

  it("a writer schema that cannot be resolved is the record's fault: dead-lettered with the reason", async () => {
    const incompatible = copy(AVRO_SCHEMAS['asset.like']);
    const props = propsOf(incompatible);
    props.fields.find((f) => f.name === 'amount')!.type = 'string';
    // Under another subject (as a TopicNameStrategy producer would), where no rule refuses it.
    const r = await registerVersion(reg.url, `${reg.database}-value`, incompatible);
    expect(r.status).toBe(200);
    const decoding = Promise.resolve().then(() =>
      decodeOne(frame(r.id!, incompatible, { ...like, properties: { ...like.properties, amount: 'five' } })),
    );
    await expect(decoding).rejects.toThrow(PoisonRecordError);
    await expect(decoding).rejects.toThrow(/cannot be read as this build's asset\.like/);
  });
});
