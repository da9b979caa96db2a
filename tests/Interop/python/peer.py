"""Python grpcio peer for Pipeline.Grpc's interop tests (run with Debian's /usr/bin/python3 and python3-grpcio).

  peer.py server                 serves interop.v1.Interop and grpc.health.v1.Health on 127.0.0.1, prints "PORT n"
  peer.py client TARGET CASE ... runs one case against TARGET and prints one JSON line with what it observed

Byte-level stubs: the few interop.v1 messages are encoded and decoded by hand (see interop.proto).
"""

import json
import sys
import threading
import time
from concurrent import futures

import grpc

SERVICE = "interop.v1.Interop"
LIMIT = 64 * 1024 * 1024
ECHOED_PREFIX = "x-meta"


# --- protobuf by hand: varint (wire type 0) and length-delimited (wire type 2) fields only -----------------------

def _varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def encode(fields):
    """fields: list of (number, int | bytes | str); zero / empty values are skipped as proto3 does."""
    out = bytearray()
    for number, value in fields:
        if isinstance(value, str):
            value = value.encode("utf-8")
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, int):
            if value:
                out += _varint(number << 3) + _varint(value)
        elif value:
            out += _varint(number << 3 | 2) + _varint(len(value)) + value
    return bytes(out)


def decode(data):
    """Returns {number: value} (last one wins); ints for varints, bytes for length-delimited fields."""
    fields, i = {}, 0
    while i < len(data):
        key, i = _read_varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            fields[number], i = _read_varint(data, i)
        elif wire == 2:
            length, i = _read_varint(data, i)
            fields[number] = bytes(data[i:i + length])
            i += length
        else:
            raise ValueError("unsupported wire type %d" % wire)
    return fields


def _read_varint(data, i):
    shift = result = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def now_ms():
    return int(time.time() * 1000)


# --- server --------------------------------------------------------------------------------------------------------

class Interop:
    def __init__(self):
        self.cancelled = set()
        self.lock = threading.Lock()

    def _record(self, call_id):
        with self.lock:
            self.cancelled.add(call_id)

    def echo(self, request, context):
        req = decode(request)
        echoed = [(k, v) for k, v in context.invocation_metadata() if k.startswith(ECHOED_PREFIX)]
        if echoed:
            context.send_initial_metadata(echoed)
            context.set_trailing_metadata(echoed)
        delay = req.get(3, 0) / 1000.0
        end = time.monotonic() + delay
        while time.monotonic() < end:
            if not context.is_active():
                self._record(req.get(4, b"").decode())
                return b""
            time.sleep(0.01)
        size = req.get(2, 0)
        return encode([(1, b"\0" * size if size else req.get(1, b""))])

    def stream(self, request, context):
        req = decode(request)
        for i in range(req.get(1, 0)):
            if i:
                time.sleep(req.get(2, 0) / 1000.0)
            yield encode([(1, i), (2, now_ms()), (3, b"\0" * req.get(3, 0))])

    def fail(self, request, context):
        req = decode(request)
        code = next(c for c in grpc.StatusCode if c.value[0] == req.get(1, 0))
        message = req.get(2, b"").decode("utf-8")
        delay = req.get(3, 0)
        if delay:
            # google.rpc.Status { code, message, details: [Any { type_url, RetryInfo { Duration } }] }
            duration = encode([(1, delay // 1000), (2, (delay % 1000) * 1_000_000)])
            any_ = encode([(1, "type.googleapis.com/google.rpc.RetryInfo"), (2, encode([(1, duration)]))])
            details = encode([(1, code.value[0]), (2, message), (3, any_)])
            context.set_trailing_metadata([("grpc-status-details-bin", details)])
        context.abort(code, message)

    def wait_for_cancel(self, request, context):
        call_id = decode(request).get(1, b"").decode()
        # grpcio stops iterating a streaming handler whose send failed because the call was cancelled, so the code
        # after a yield may never run: the termination callback is the one place that always sees the cancel.
        finished = threading.Event()
        context.add_callback(lambda: None if finished.is_set() else self._record(call_id))
        yield encode([(1, 0), (2, now_ms())])
        deadline = time.monotonic() + 60
        while context.is_active() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not context.is_active():
            self._record(call_id)
        else:
            finished.set()

    def get_cancelled(self, request, context):
        call_id = decode(request).get(1, b"").decode()
        with self.lock:
            return encode([(1, call_id in self.cancelled)])


def health_check(request, context):
    service = decode(request).get(1, b"").decode()
    if service not in ("", SERVICE):
        context.abort(grpc.StatusCode.NOT_FOUND, "unknown service")
    return encode([(1, 1)])  # SERVING


def serve():
    interop = Interop()
    unary = grpc.unary_unary_rpc_method_handler
    streaming = grpc.unary_stream_rpc_method_handler
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=32),
        options=[("grpc.max_receive_message_length", LIMIT), ("grpc.max_send_message_length", LIMIT)],
    )
    server.add_generic_rpc_handlers((
        grpc.method_handlers_generic_handler(SERVICE, {
            "Echo": unary(interop.echo),
            "Stream": streaming(interop.stream),
            "Fail": unary(interop.fail),
            "WaitForCancel": streaming(interop.wait_for_cancel),
            "GetCancelled": unary(interop.get_cancelled),
        }),
        grpc.method_handlers_generic_handler("grpc.health.v1.Health", {"Check": unary(health_check)}),
    ))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("PORT %d" % port, flush=True)
    # Runs until the test kills it or closes stdin.
    sys.stdin.read()
    server.stop(0)


# --- client --------------------------------------------------------------------------------------------------------

def _metadata(pairs):
    out = []
    for key, value in pairs or ():
        out.append([key, value.hex() if isinstance(value, bytes) else value])
    return out


def _error(e):
    return {"code": e.code().name, "details": e.details(), "trailers": _metadata(e.trailing_metadata())}


def run_client(target, case, args):
    options = []
    if case in ("large_unary", "large_request_over_server_limit"):
        options = [("grpc.max_receive_message_length", LIMIT), ("grpc.max_send_message_length", LIMIT)]
    with grpc.insecure_channel(target, options=options) as channel:
        def unary(method, service=SERVICE):
            return channel.unary_unary("/%s/%s" % (service, method))

        try:
            if case == "empty_unary":
                response, call = unary("Echo").with_call(b"", timeout=10)
                return {"code": "OK", "response_length": len(response)}
            if case == "large_unary":
                size = int(args[0])
                response = unary("Echo")(encode([(1, b"\x01" * size)]), timeout=30)
                return {"code": "OK", "payload_length": len(decode(response).get(1, b""))}
            if case == "gzip_unary":
                payload = b"gzip " * 20000
                response = unary("Echo")(encode([(1, payload), (4, args[0])]), timeout=10, compression=grpc.Compression.Gzip)
                return {"code": "OK", "echoed": decode(response).get(1, b"") == payload}
            if case == "large_request_over_server_limit":
                unary("Echo")(encode([(1, b"\x01" * int(args[0]))]), timeout=30)
                return {"code": "OK"}
            if case == "large_response_over_client_limit":
                unary("Echo")(encode([(2, int(args[0]))]), timeout=30)
                return {"code": "OK"}
            if case == "server_streaming":
                count, interval = int(args[0]), int(args[1])
                received = []
                for message in channel.unary_stream("/%s/Stream" % SERVICE)(encode([(1, count), (2, interval), (3, 16)]), timeout=30):
                    fields = decode(message)
                    received.append({"index": fields.get(1, 0), "sent_at": fields.get(2, 0), "received_at": now_ms()})
                return {"code": "OK", "messages": received}
            if case == "status":
                unary("Fail")(encode([(1, int(args[0])), (2, bytes.fromhex(args[1])), (3, int(args[2]))]), timeout=10)
                return {"code": "OK"}
            if case == "metadata":
                sent = [("x-meta-text", "hello world"), ("x-meta-data-bin", bytes([0, 1, 2, 253, 254, 255]))]
                response, call = unary("Echo").with_call(encode([(1, b"ping")]), metadata=sent, timeout=10)
                return {"code": "OK", "headers": _metadata(call.initial_metadata()), "trailers": _metadata(call.trailing_metadata())}
            if case == "deadline":
                unary("Echo")(encode([(3, 5000), (4, args[0])]), timeout=0.3)
                return {"code": "OK"}
            if case == "cancel":
                call = channel.unary_stream("/%s/WaitForCancel" % SERVICE)(encode([(1, args[0])]), timeout=30)
                first = next(call)
                call.cancel()
                try:
                    next(call)
                    return {"code": "OK", "first_index": decode(first).get(1, 0)}
                except grpc.RpcError as e:
                    return dict(_error(e), first_index=decode(first).get(1, 0))
            if case == "unimplemented":
                codes = {}
                for path in ("/%s/Nope" % SERVICE, "/nope.v1.Nope/Call"):
                    try:
                        channel.unary_unary(path)(b"", timeout=10)
                        codes[path] = "OK"
                    except grpc.RpcError as e:
                        codes[path] = e.code().name
                return {"code": "OK", "codes": codes}
            if case == "health":
                check = unary("Check", "grpc.health.v1.Health")
                result = {"code": "OK", "server": check(b"", timeout=10).hex(),
                          "service": check(encode([(1, SERVICE)]), timeout=10).hex()}
                try:
                    check(encode([(1, "nope.v1.Nope")]), timeout=10)
                    result["unknown"] = "OK"
                except grpc.RpcError as e:
                    result["unknown"] = e.code().name
                return result
            return {"code": "BAD_CASE", "details": case}
        except grpc.RpcError as e:
            return _error(e)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        serve()
    else:
        print(json.dumps(run_client(sys.argv[2], sys.argv[3], sys.argv[4:])), flush=True)
