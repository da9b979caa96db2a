'use strict';
// grpc-js peer for Pipeline.Grpc's interop tests (`npm ci` here first).
//
//   node peer.js server                  serves interop.v1.Interop and grpc.health.v1.Health on 127.0.0.1, prints "PORT n"
//   node peer.js client TARGET CASE ...  runs one case against TARGET and prints one JSON line with what it observed
//
// Byte-level stubs: identity serializers, and the few interop.v1 messages encoded and decoded by hand (interop.proto).

const grpc = require('@grpc/grpc-js');

const SERVICE = 'interop.v1.Interop';
const LIMIT = 64 * 1024 * 1024;
const ECHOED_PREFIX = 'x-meta';

// --- protobuf by hand: varint (wire type 0) and length-delimited (wire type 2) fields only ---------------------

function varint(value) {
  let v = BigInt.asUintN(64, BigInt(value));
  const out = [];
  do {
    let bits = Number(v & 0x7fn);
    v >>= 7n;
    if (v) bits |= 0x80;
    out.push(bits);
  } while (v);
  return Buffer.from(out);
}

// fields: [number, number | bigint | boolean | Buffer | string][]; zero / empty values are skipped as proto3 does.
function encode(fields) {
  const parts = [];
  for (let [number, value] of fields) {
    if (typeof value === 'string') value = Buffer.from(value, 'utf8');
    if (typeof value === 'boolean') value = value ? 1 : 0;
    if (Buffer.isBuffer(value)) {
      if (value.length) parts.push(varint((number << 3) | 2), varint(value.length), value);
    } else if (value) {
      parts.push(varint(number << 3), varint(value));
    }
  }
  return Buffer.concat(parts);
}

// Returns {number: value}: numbers for varints, Buffers for length-delimited fields.
function decode(data) {
  const fields = {};
  let i = 0;
  const read = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = data[i++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  };
  while (i < data.length) {
    const key = Number(read());
    const number = key >> 3;
    const wire = key & 7;
    if (wire === 0) {
      fields[number] = Number(read());
    } else if (wire === 2) {
      const length = Number(read());
      fields[number] = data.subarray(i, i + length);
      i += length;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
  return fields;
}

const str = (value) => (value ? value.toString('utf8') : '');
const identity = (x) => x;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function method(service, name, responseStream) {
  return {
    path: `/${service}/${name}`,
    requestStream: false,
    responseStream,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}

// --- server ----------------------------------------------------------------------------------------------------

function serve() {
  const cancelled = new Set();
  const echoedMetadata = (call) => {
    const md = new grpc.Metadata();
    for (const [key, values] of Object.entries(call.metadata.getMap())) {
      if (key.startsWith(ECHOED_PREFIX)) md.set(key, values);
    }
    return md;
  };

  const server = new grpc.Server({
    'grpc.max_receive_message_length': LIMIT,
    'grpc.max_send_message_length': LIMIT,
  });
  server.addService(
    {
      Echo: method(SERVICE, 'Echo', false),
      Stream: method(SERVICE, 'Stream', true),
      Fail: method(SERVICE, 'Fail', false),
      WaitForCancel: method(SERVICE, 'WaitForCancel', true),
      GetCancelled: method(SERVICE, 'GetCancelled', false),
    },
    {
      Echo: async (call, callback) => {
        const req = decode(call.request);
        const md = echoedMetadata(call);
        if (Object.keys(md.getMap()).length) call.sendMetadata(md);
        let done = false;
        call.on('cancelled', () => {
          done = true;
          cancelled.add(str(req[4]));
        });
        const end = Date.now() + (req[3] || 0);
        while (Date.now() < end && !done) await sleep(10);
        if (done) return;
        const size = req[2] || 0;
        callback(null, encode([[1, size ? Buffer.alloc(size) : req[1] || Buffer.alloc(0)]]), md);
      },
      Stream: async (call) => {
        const req = decode(call.request);
        let done = false;
        call.on('cancelled', () => { done = true; });
        for (let i = 0; i < (req[1] || 0) && !done; i++) {
          if (i) await sleep(req[2] || 0);
          call.write(encode([[1, i], [2, Date.now()], [3, Buffer.alloc(req[3] || 0)]]));
        }
        call.end();
      },
      Fail: (call, callback) => {
        const req = decode(call.request);
        const code = req[1] || 0;
        const message = str(req[2]);
        const delay = req[3] || 0;
        const metadata = new grpc.Metadata();
        if (delay) {
          // google.rpc.Status { code, message, details: [Any { type_url, RetryInfo { Duration } }] }
          const duration = encode([[1, Math.floor(delay / 1000)], [2, (delay % 1000) * 1000000]]);
          const any = encode([[1, 'type.googleapis.com/google.rpc.RetryInfo'], [2, encode([[1, duration]])]]);
          metadata.set('grpc-status-details-bin', encode([[1, code], [2, message], [3, any]]));
        }
        callback({ code, details: message, metadata });
      },
      WaitForCancel: (call) => {
        const id = str(decode(call.request)[1]);
        call.on('cancelled', () => cancelled.add(id));
        call.write(encode([[1, 0], [2, Date.now()]]));
      },
      GetCancelled: (call, callback) => {
        callback(null, encode([[1, cancelled.has(str(decode(call.request)[1]))]]));
      },
    },
  );
  server.addService({ Check: method('grpc.health.v1.Health', 'Check', false) }, {
    Check: (call, callback) => {
      const service = str(decode(call.request)[1]);
      if (service !== '' && service !== SERVICE) {
        callback({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
      } else {
        callback(null, encode([[1, 1]])); // SERVING
      }
    },
  });
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) throw error;
    console.log(`PORT ${port}`);
  });
  // Runs until the test kills it or closes stdin.
  process.stdin.resume();
  process.stdin.on('end', () => server.forceShutdown());
}

// --- client ----------------------------------------------------------------------------------------------------

const codeName = (code) => Object.keys(grpc.status).find((k) => grpc.status[k] === code);

function metadataList(md) {
  const out = [];
  if (!md) return out;
  for (const [key, value] of Object.entries(md.getMap())) {
    out.push([key, Buffer.isBuffer(value) ? value.toString('hex') : String(value)]);
  }
  return out;
}

function errorResult(e) {
  return { code: codeName(e.code), details: e.details, trailers: metadataList(e.metadata) };
}

async function runClient(target, testCase, args) {
  const raised = testCase === 'large_unary' || testCase === 'large_request_over_server_limit';
  const options = raised ? { 'grpc.max_receive_message_length': LIMIT, 'grpc.max_send_message_length': LIMIT } : {};
  if (testCase === 'gzip_unary') options['grpc.default_compression_algorithm'] = 2; // gzip
  const client = new grpc.Client(target, grpc.credentials.createInsecure(), options);
  const deadline = (seconds) => ({ deadline: new Date(Date.now() + seconds * 1000) });

  const unary = (path, request, metadata = new grpc.Metadata(), opts = deadline(10)) =>
    new Promise((resolve, reject) => {
      let headers = null;
      let trailers = null;
      const call = client.makeUnaryRequest(path, identity, identity, request, metadata, opts, (err, response) => {
        // 'status' may follow the callback; give it a tick.
        setImmediate(() => (err ? reject(err) : resolve({ response, headers, trailers: trailers || err })));
      });
      call.on('metadata', (md) => { headers = md; });
      call.on('status', (status) => { trailers = status.metadata; });
    });
  const path = (name) => `/${SERVICE}/${name}`;

  try {
    switch (testCase) {
      case 'empty_unary': {
        const { response } = await unary(path('Echo'), Buffer.alloc(0));
        return { code: 'OK', response_length: response.length };
      }
      case 'large_unary': {
        const { response } = await unary(path('Echo'), encode([[1, Buffer.alloc(Number(args[0]), 1)]]), undefined, deadline(30));
        return { code: 'OK', payload_length: (decode(response)[1] || Buffer.alloc(0)).length };
      }
      case 'gzip_unary': {
        const payload = Buffer.from('gzip '.repeat(20000));
        const { response } = await unary(path('Echo'), encode([[1, payload], [4, args[0]]]));
        return { code: 'OK', echoed: payload.equals(decode(response)[1] || Buffer.alloc(0)) };
      }
      case 'large_request_over_server_limit':
        await unary(path('Echo'), encode([[1, Buffer.alloc(Number(args[0]), 1)]]), undefined, deadline(30));
        return { code: 'OK' };
      case 'large_response_over_client_limit':
        await unary(path('Echo'), encode([[2, Number(args[0])]]), undefined, deadline(30));
        return { code: 'OK' };
      case 'server_streaming': {
        const received = [];
        const call = client.makeServerStreamRequest(path('Stream'), identity, identity,
          encode([[1, Number(args[0])], [2, Number(args[1])], [3, 16]]), new grpc.Metadata(), deadline(30));
        await new Promise((resolve, reject) => {
          call.on('data', (message) => {
            const f = decode(message);
            received.push({ index: f[1] || 0, sent_at: f[2] || 0, received_at: Date.now() });
          });
          call.on('error', reject);
          call.on('end', resolve);
        });
        return { code: 'OK', messages: received };
      }
      case 'status':
        await unary(path('Fail'), encode([[1, Number(args[0])], [2, Buffer.from(args[1], 'hex')], [3, Number(args[2])]]));
        return { code: 'OK' };
      case 'metadata': {
        const md = new grpc.Metadata();
        md.set('x-meta-text', 'hello world');
        md.set('x-meta-data-bin', Buffer.from([0, 1, 2, 253, 254, 255]));
        const { headers, trailers } = await unary(path('Echo'), encode([[1, 'ping']]), md);
        return { code: 'OK', headers: metadataList(headers), trailers: metadataList(trailers) };
      }
      case 'deadline':
        await unary(path('Echo'), encode([[3, 5000], [4, args[0]]]), undefined, { deadline: new Date(Date.now() + 300) });
        return { code: 'OK' };
      case 'cancel': {
        const call = client.makeServerStreamRequest(path('WaitForCancel'), identity, identity,
          encode([[1, args[0]]]), new grpc.Metadata(), deadline(30));
        return await new Promise((resolve) => {
          let first = -1;
          call.on('data', (message) => {
            first = decode(message)[1] || 0;
            call.cancel();
          });
          call.on('error', (e) => resolve({ ...errorResult(e), first_index: first }));
          call.on('end', () => resolve({ code: 'OK', first_index: first }));
        });
      }
      case 'unimplemented': {
        const codes = {};
        for (const p of [path('Nope'), '/nope.v1.Nope/Call']) {
          try {
            await unary(p, Buffer.alloc(0));
            codes[p] = 'OK';
          } catch (e) {
            codes[p] = codeName(e.code);
          }
        }
        return { code: 'OK', codes };
      }
      case 'health': {
        const check = '/grpc.health.v1.Health/Check';
        const result = {
          code: 'OK',
          server: (await unary(check, Buffer.alloc(0))).response.toString('hex'),
          service: (await unary(check, encode([[1, SERVICE]]))).response.toString('hex'),
        };
        try {
          await unary(check, encode([[1, 'nope.v1.Nope']]));
          result.unknown = 'OK';
        } catch (e) {
          result.unknown = codeName(e.code);
        }
        return result;
      }
      default:
        return { code: 'BAD_CASE', details: testCase };
    }
  } catch (e) {
    if (e.code === undefined) throw e;
    return errorResult(e);
  } finally {
    client.close();
  }
}

if (process.argv[2] === 'server') {
  serve();
} else {
  runClient(process.argv[3], process.argv[4], process.argv.slice(5)).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error) => {
      process.stderr.write(`${error.stack}\n`);
      process.exit(1);
    },
  );
}
