'use strict';
// A grpc-js client of Pipeline's public gRPC API (imagegen.v1.ImageGeneration, grpc.health.v1, reflection v1).
// `npm ci` here first. The .proto files are loaded at run time with @grpc/proto-loader: the repository's protos/ and
// ../protos-thirdparty (health, reflection, google.rpc status and error details).
//
//   node peer.js [--protos DIR] [--include DIR]... TARGET KEY CASE [name=value]...
//
// TARGET is host:port; KEY "-" sends no authorization metadata. Prints one JSON line per observation, the last one
// {"done": true, "case": CASE, "code": "OK" | status name, "details": ..., ...case results}. The cases and their
// arguments are those of ../python/peer.py.

const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');
const descriptor = require('protobufjs/ext/descriptor');

const LIMIT = 64 * 1024 * 1024;
const THIRD_PARTY = path.join(__dirname, '..', 'protos-thirdparty');
const CODE_NAMES = Object.fromEntries(Object.entries(grpc.status).map(([name, code]) => [code, name]));

function emit(record) {
  process.stdout.write(JSON.stringify(record) + '\n');
}

function parseArguments(argv) {
  let protos = path.join(__dirname, '..', '..', '..', 'protos');
  const includes = [];
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--protos') protos = argv[++i];
    else if (argv[i] === '--include') includes.push(argv[++i]);
    else rest.push(argv[i]);
  }
  if (rest.length < 3) throw new Error('usage: peer.js [--protos DIR] [--include DIR]... TARGET KEY CASE [name=value]...');
  const [target, key, name] = rest;
  const options = Object.fromEntries(rest.slice(3).map((item) => {
    const at = item.indexOf('=');
    return [item.slice(0, at), item.slice(at + 1)];
  }));
  return { protos, includes, target, key, name, options };
}

class Peer {
  constructor(protos, includes, target, key) {
    const definition = protoLoader.loadSync(
      ['imagegen/v1/generation.proto', 'grpc/health/v1/health.proto', 'grpc/reflection/v1/reflection.proto'],
      { includeDirs: [protos, THIRD_PARTY, ...includes], keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
    const loaded = grpc.loadPackageDefinition(definition);
    const credentials = grpc.credentials.createInsecure();
    const channelOptions = { 'grpc.max_receive_message_length': LIMIT, 'grpc.max_send_message_length': LIMIT };
    this.imagegen = new loaded.imagegen.v1.ImageGeneration(target, credentials, channelOptions);
    this.health = new loaded.grpc.health.v1.Health(target, credentials, channelOptions);
    this.reflection = new loaded.grpc.reflection.v1.ServerReflection(target, credentials, channelOptions);
    this.metadata = new grpc.Metadata();
    if (key !== '-') this.metadata.set('authorization', 'Bearer ' + key);
    // google.rpc.Status and BadRequest, to decode grpc-status-details-bin (proto-loader gives descriptors, not codecs).
    const root = new protobuf.Root();
    root.resolvePath = (_, target) => [THIRD_PARTY, ...includes].map((dir) => path.join(dir, target)).find(require('fs').existsSync) || target;
    root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto']);
    this.rpcStatus = root.lookupType('google.rpc.Status');
    this.badRequest = root.lookupType('google.rpc.BadRequest');
  }

  close() {
    for (const client of [this.imagegen, this.health, this.reflection]) client.close();
  }

  deadline(ms) {
    return { deadline: new Date(Date.now() + ms) };
  }

  generateRequest(options, size) {
    const parameters = { partial_images: Number(options.partials ?? '2') };
    if (options.n !== undefined) parameters.n = Number(options.n);
    if (size ?? options.size) parameters.size = size ?? options.size;
    return { prompt: options.prompt ?? 'a lighthouse', config: options.config ?? '', parameters };
  }

  frameRecord(frame, started) {
    const record = { frame: frame.frame, t_ms: Number((performance.now() - started).toFixed(3)) };
    if (frame.frame === 'accepted') {
      const a = frame.accepted;
      Object.assign(record, { run_id: a.run_id, config: a.config, image_count: a.image_count });
    } else if (frame.frame === 'partial') {
      const p = frame.partial;
      const png = p.data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      Object.assign(record, { image_index: p.image_index, partial_index: p.partial_index, bytes: p.data.length, png });
    } else {
      const f = frame.final;
      Object.assign(record, { image_index: f.image_index, image_id: f.image_id, url_path: f.storage?.url_path ?? '', sha256: f.storage?.sha256 ?? '', last: f.last });
    }
    return record;
  }

  // Runs Generate; onFrame(record, call) sees each frame as it arrives. Resolves with the records, rejects with the
  // status error (its .seen holds the records).
  stream(request, deadlineMs, onFrame) {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const seen = [];
      const call = this.imagegen.Generate(request, this.metadata, this.deadline(deadlineMs));
      call.on('data', (frame) => {
        const record = this.frameRecord(frame, started);
        seen.push(record);
        onFrame?.(record, call, started, seen);
      });
      call.on('error', (error) => {
        error.seen = seen;
        error.elapsed = Number((performance.now() - started).toFixed(3));
        reject(error);
      });
      call.on('end', () => resolve(seen));
    });
  }

  unary(client, method, request) {
    return new Promise((resolve, reject) => {
      client[method](request, this.metadata, this.deadline(60000), (error, response) => (error ? reject(error) : resolve(response)));
    });
  }

  async generate(options) {
    const seen = await this.stream(this.generateRequest(options), 120000, (record) => emit(record));
    return { frames: seen.length };
  }

  async list_configs(options) {
    const response = await this.unary(this.imagegen, 'ListConfigs', { language: options.language ?? '' });
    return { configs: response.configs.map((c) => c.name), display_names: response.configs.map((c) => c.display_name) };
  }

  async get_run(options) {
    const run = await this.unary(this.imagegen, 'GetRun', { run_id: options.run_id ?? '' });
    return {
      run_id: run.run_id, config: run.config, prompt: run.prompt, status: run.status,
      images: run.images.map((i) => ({ image_id: i.image_id, image_index: i.image_index, sha256: i.sha256 })),
    };
  }

  async health_check(options) {
    const response = await this.unary(this.health, 'Check', { service: options.service ?? '' });
    return { status: response.status };
  }

  async reflection_list(options) {
    const symbol = options.symbol ?? 'imagegen.v1.ImageGeneration';
    const responses = await new Promise((resolve, reject) => {
      const received = [];
      const call = this.reflection.ServerReflectionInfo(this.metadata, this.deadline(60000));
      call.on('data', (response) => received.push(response));
      call.on('error', reject);
      call.on('end', () => resolve(received));
      call.write({ list_services: '' });
      call.write({ file_containing_symbol: symbol });
      call.end();
    });
    const services = responses[0].list_services_response.service.map((s) => s.name);
    emit({ services });
    const files = responses[1].file_descriptor_response.file_descriptor_proto.map((bytes) => descriptor.FileDescriptorProto.decode(bytes));
    let described = null;
    for (const file of files) {
      for (const service of file.service) {
        if ((file.package ? file.package + '.' : '') + service.name === symbol) {
          described = { file: file.name, methods: service.method.map((m) => m.name) };
        }
      }
    }
    emit({ files: files.map((f) => f.name), described });
    return { services, described };
  }

  async bad_size(options) {
    try {
      await this.stream(this.generateRequest(options, options.size ?? '7x7'), 60000);
      return {};
    } catch (error) {
      error.result = this.statusDetails(error);
      throw error;
    }
  }

  async deadline_1ms(options) {
    try {
      const seen = await this.stream(this.generateRequest(options), 1);
      return { frames: seen.length };
    } catch (error) {
      error.result = { frames: error.seen?.length ?? 0, t_ms: error.elapsed };
      throw error;
    }
  }

  async cancel_mid_stream(options) {
    try {
      const seen = await this.stream(this.generateRequest(options), 120000, (record, call, started, seen) => {
        emit(record);
        if (record.frame === 'partial' && !call.cancelledByPeer) {
          call.cancelledByPeer = true;
          call.cancel();
          emit({ cancelled_after: seen.length, t_ms: Number((performance.now() - started).toFixed(3)) });
        }
      });
      return { frames: seen.map((r) => r.frame) };
    } catch (error) {
      error.result = { frames: (error.seen ?? []).map((r) => r.frame) };
      throw error;
    }
  }

  // The google.rpc.Status of grpc-status-details-bin, with its BadRequest field violations.
  statusDetails(error) {
    const raw = error.metadata?.get('grpc-status-details-bin')?.[0];
    if (!raw) return { status_details: null, field_violations: [] };
    const status = this.rpcStatus.decode(raw);
    const violations = [];
    for (const detail of status.details) {
      if (detail.type_url === 'type.googleapis.com/google.rpc.BadRequest' || detail.typeUrl === 'type.googleapis.com/google.rpc.BadRequest') {
        const badRequest = this.badRequest.decode(detail.value);
        for (const v of badRequest.fieldViolations) violations.push({ field: v.field, description: v.description });
      }
    }
    return {
      status_details: { code: status.code, message: status.message, types: status.details.map((d) => d.type_url ?? d.typeUrl) },
      field_violations: violations,
    };
  }
}

async function main() {
  const { protos, includes, target, key, name, options } = parseArguments(process.argv.slice(2));
  const peer = new Peer(protos, includes, target, key);
  if (typeof peer[name] !== 'function' || ['constructor', 'close', 'deadline', 'stream', 'unary'].includes(name)) {
    throw new Error('unknown case ' + name);
  }
  const done = { done: true, case: name };
  try {
    Object.assign(done, { code: 'OK', details: '' }, await peer[name](options));
  } catch (error) {
    if (typeof error.code !== 'number') throw error;
    Object.assign(done, { code: CODE_NAMES[error.code] ?? String(error.code), details: error.details ?? '' }, error.result ?? {});
  } finally {
    peer.close();
  }
  emit(done);
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error) + '\n');
  process.exit(1);
});
