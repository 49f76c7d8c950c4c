// Events on the wire: Avro with the Confluent framing, the schema registry, the consumers' decode step.
export { bigintLongType, AVRO_OPTIONS } from './avro-long';
export {
  COMPATIBILITY,
  REGISTER_COMMAND,
  createRegistry,
  lookupSchemaIds,
  registerSchemas,
  registryEndpoint,
  registryHealthCheck,
  subjectOf,
  RegistryRefusedError,
  RegistryUnavailableError,
  SchemaMissingError,
  type RegistryEndpoint,
  type SchemaRegistry,
} from './registry';
export { createDecoder, createEncoder, type Decoder, type Encoder } from './codec';
export { decodeActivityStep, decodeEventStep, eventDecoding } from './decode-step';
