"""A python grpcio client of Pipeline's public gRPC API (imagegen.v1.ImageGeneration, grpc.health.v1, reflection v1).

Run with Debian's /usr/bin/python3 (python3-grpcio, python3-protobuf) and /usr/bin/protoc (protobuf-compiler). The
messages are generated at start by protoc --python_out from the repository's protos/ and from ../protos-thirdparty
(health, reflection, google.rpc status); the stubs are grpcio's generic unary_unary / unary_stream / stream_stream,
exactly what grpc_tools' *_pb2_grpc.py would contain (Debian has no grpcio-health-checking or grpcio-reflection).

  peer.py [--protos DIR] [--include DIR]... TARGET KEY CASE [name=value]...

TARGET is host:port; KEY "-" sends no authorization metadata. --include adds protoc include folders (the
google/protobuf well-known types, when protoc does not find them itself). Prints one JSON line per observation, the
last one {"done": true, "case": CASE, "code": "OK" | status name, "details": ..., ...case results}.

Cases (arguments with their defaults):
  generate           prompt="a lighthouse" config="" partials=2 n=1 size=  frames with t_ms (ms since the call began)
  list_configs       language=""                          config names and display names
  get_run            run_id=                              the run, its status and images
  health_check       service=""                           the serving status
  reflection_list    symbol=imagegen.v1.ImageGeneration   the listed services; the file that describes symbol
  bad_size           config="" size=7x7                   the status and its google.rpc.BadRequest field violations
  deadline_1ms       config="" partials=2                 Generate with a 1 ms deadline
  cancel_mid_stream  config="" partials=2                 Generate cancelled after the first partial frame
"""

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
SERVICE = "/imagegen.v1.ImageGeneration/"
LIMIT = 64 * 1024 * 1024
OWN_PROTOS = ["imagegen/v1/generation.proto", "common/v1/media.proto", "common/v1/run.proto"]
THIRD_PARTY_PROTOS = ["grpc/health/v1/health.proto", "grpc/reflection/v1/reflection.proto",
                      "google/rpc/status.proto", "google/rpc/error_details.proto"]


def emit(record):
    print(json.dumps(record), flush=True)


def parse_arguments(argv):
    protos = os.path.normpath(os.path.join(HERE, "..", "..", "..", "protos"))
    includes = []
    rest = []
    i = 0
    while i < len(argv):
        if argv[i] == "--protos":
            protos = argv[i + 1]
            i += 2
        elif argv[i] == "--include":
            includes.append(argv[i + 1])
            i += 2
        else:
            rest.append(argv[i])
            i += 1
    if len(rest) < 3:
        raise SystemExit(__doc__)
    target, key, case = rest[:3]
    options = dict(item.split("=", 1) for item in rest[3:])
    return protos, includes, target, key, case, options


def generate_messages(protos, includes, output):
    third_party = os.path.join(HERE, "..", "protos-thirdparty")
    command = ["protoc", "-I" + protos, "-I" + third_party] + ["-I" + d for d in includes]
    command += ["--python_out=" + output] + OWN_PROTOS + THIRD_PARTY_PROTOS
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit("protoc failed: " + result.stderr)


def load(output, relative):
    """Loads a generated module by file: the grpc.* and google.rpc names would clash with grpcio's and protobuf's packages."""
    path = os.path.join(output, relative.replace(".proto", "_pb2.py"))
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Peer:
    def __init__(self, output, target, key):
        sys.path.insert(0, output)
        from imagegen.v1 import generation_pb2
        self.gen = generation_pb2
        self.health = load(output, "grpc/health/v1/health.proto")
        self.reflection = load(output, "grpc/reflection/v1/reflection.proto")
        self.status = load(output, "google/rpc/status.proto")
        self.details = load(output, "google/rpc/error_details.proto")
        self.metadata = [] if key == "-" else [("authorization", "Bearer " + key)]
        self.channel = grpc.insecure_channel(target, options=[
            ("grpc.max_receive_message_length", LIMIT), ("grpc.max_send_message_length", LIMIT)])

    def method(self, kind, path, request, response):
        return getattr(self.channel, kind)(path, request_serializer=request.SerializeToString,
                                           response_deserializer=response.FromString)

    def generate_request(self, options, size=None):
        parameters = self.gen.GenerationParameters(partial_images=int(options.get("partials", "2")))
        if "n" in options:
            parameters.n = int(options["n"])
        if size or options.get("size"):
            parameters.size = size or options["size"]
        return self.gen.GenerateRequest(prompt=options.get("prompt", "a lighthouse"), config=options.get("config", ""),
                                        parameters=parameters)

    def generate_call(self, request, timeout):
        generate = self.method("unary_stream", SERVICE + "Generate", self.gen.GenerateRequest, self.gen.GenerateFrame)
        return generate(request, metadata=self.metadata, timeout=timeout)

    def frame_record(self, frame, started):
        kind = frame.WhichOneof("frame")
        record = {"frame": kind, "t_ms": round((time.monotonic() - started) * 1000, 3)}
        if kind == "accepted":
            record.update(run_id=frame.accepted.run_id, config=frame.accepted.config, image_count=frame.accepted.image_count)
        elif kind == "fallback":
            record.update(config=frame.fallback.config)
        elif kind == "partial":
            record.update(image_index=frame.partial.image_index, partial_index=frame.partial.partial_index,
                          bytes=len(frame.partial.data), png=frame.partial.data[:8] == b"\x89PNG\r\n\x1a\n")
        else:
            record.update(image_index=frame.final.image_index, image_id=frame.final.image_id,
                          url_path=frame.final.storage.url_path, sha256=frame.final.storage.sha256, last=frame.final.last)
        return record

    def case_generate(self, options):
        started = time.monotonic()
        frames = 0
        for frame in self.generate_call(self.generate_request(options), timeout=120):
            emit(self.frame_record(frame, started))
            frames += 1
        return {"frames": frames}

    def case_list_configs(self, options):
        list_configs = self.method("unary_unary", SERVICE + "ListConfigs", self.gen.ListConfigsRequest, self.gen.ListConfigsResponse)
        response = list_configs(self.gen.ListConfigsRequest(language=options.get("language", "")), metadata=self.metadata, timeout=60)
        return {"configs": [c.name for c in response.configs], "display_names": [c.display_name for c in response.configs],
                "rules": {c.name: {"sizes": list(c.rules.sizes), "max_n": c.rules.max_n, "mask": c.rules.mask,
                                   "max_input_images": c.rules.max_input_images, "icon": c.display.icon} for c in response.configs}}

    def case_list_runs(self, options):
        list_runs = self.method("unary_unary", SERVICE + "ListRuns", self.gen.ListRunsRequest, self.gen.ListRunsResponse)
        request = self.gen.ListRunsRequest(page_size=int(options.get("page_size", "20")), page_token=options.get("page_token", ""),
                                           config=options.get("config", ""))
        response = list_runs(request, metadata=self.metadata, timeout=60)
        return {"runs": [{"run_id": r.run_id, "parent_run_id": r.parent_run_id, "prompt": r.prompt, "images": len(r.images)}
                         for r in response.runs],
                "next_page_token": response.next_page_token}

    def case_regenerate(self, options):
        regenerate = self.method("unary_stream", SERVICE + "Regenerate", self.gen.RegenerateRequest, self.gen.GenerateFrame)
        request = self.gen.RegenerateRequest(run_id=options.get("run_id", ""))
        if "size" in options:
            request.parameters.size = options["size"]
        if "prompt" in options:
            request.prompt = options["prompt"]
        started = time.monotonic()
        frames = 0
        parent = ""
        for frame in regenerate(request, metadata=self.metadata, timeout=120):
            if frame.WhichOneof("frame") == "accepted":
                parent = frame.accepted.parent_run_id
            emit(self.frame_record(frame, started))
            frames += 1
        return {"frames": frames, "parent_run_id": parent}

    def case_get_run(self, options):
        get_run = self.method("unary_unary", SERVICE + "GetRun", self.gen.GetRunRequest, self.gen.Run)
        run = get_run(self.gen.GetRunRequest(run_id=options.get("run_id", "")), metadata=self.metadata, timeout=60)
        return {"run_id": run.run_id, "config": run.config, "prompt": run.prompt,
                "status": self.gen.RunStatus.Name(run.status),
                "images": [{"image_id": i.image_id, "image_index": i.image_index, "sha256": i.sha256} for i in run.images]}

    def case_health_check(self, options):
        h = self.health
        check = self.method("unary_unary", "/grpc.health.v1.Health/Check", h.HealthCheckRequest, h.HealthCheckResponse)
        response = check(h.HealthCheckRequest(service=options.get("service", "")), metadata=self.metadata, timeout=60)
        return {"status": h.HealthCheckResponse.ServingStatus.Name(response.status)}

    def case_reflection_list(self, options):
        from google.protobuf import descriptor_pb2
        r = self.reflection
        symbol = options.get("symbol", "imagegen.v1.ImageGeneration")
        info = self.method("stream_stream", "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                           r.ServerReflectionRequest, r.ServerReflectionResponse)
        requests = [r.ServerReflectionRequest(list_services=""), r.ServerReflectionRequest(file_containing_symbol=symbol)]
        responses = list(info(iter(requests), metadata=self.metadata, timeout=60))
        services = [s.name for s in responses[0].list_services_response.service]
        emit({"services": services})
        files = [descriptor_pb2.FileDescriptorProto.FromString(b)
                 for b in responses[1].file_descriptor_response.file_descriptor_proto]
        described = None
        for f in files:
            for service in f.service:
                if (f.package + "." if f.package else "") + service.name == symbol:
                    described = {"file": f.name, "methods": [m.name for m in service.method]}
        emit({"files": [f.name for f in files], "described": described})
        return {"services": services, "described": described}

    def case_bad_size(self, options):
        try:
            for _ in self.generate_call(self.generate_request(options, size=options.get("size", "7x7")), timeout=60):
                pass
        except grpc.RpcError as error:
            result = self.status_details(error)
            raise Reported(error, result)
        return {}

    def case_deadline_1ms(self, options):
        frames = 0
        started = time.monotonic()
        try:
            for _ in self.generate_call(self.generate_request(options), timeout=0.001):
                frames += 1
        except grpc.RpcError as error:
            raise Reported(error, {"frames": frames, "t_ms": round((time.monotonic() - started) * 1000, 3)})
        return {"frames": frames}

    def case_cancel_mid_stream(self, options):
        started = time.monotonic()
        call = self.generate_call(self.generate_request(options), timeout=120)
        seen = []
        try:
            for frame in call:
                record = self.frame_record(frame, started)
                emit(record)
                seen.append(record["frame"])
                if record["frame"] == "partial":
                    call.cancel()
                    emit({"cancelled_after": len(seen), "t_ms": round((time.monotonic() - started) * 1000, 3)})
        except grpc.RpcError as error:
            raise Reported(error, {"frames": seen})
        return {"frames": seen}

    def status_details(self, error):
        """The google.rpc.Status of grpc-status-details-bin, with its BadRequest field violations."""
        raw = next((v for k, v in (error.trailing_metadata() or ()) if k == "grpc-status-details-bin"), None)
        if raw is None:
            return {"status_details": None, "field_violations": []}
        status = self.status.Status.FromString(raw)
        violations = []
        for detail in status.details:
            if detail.Is(self.details.BadRequest.DESCRIPTOR):
                bad_request = self.details.BadRequest()
                detail.Unpack(bad_request)
                violations += [{"field": v.field, "description": v.description} for v in bad_request.field_violations]
        return {"status_details": {"code": status.code, "message": status.message,
                                   "types": [d.type_url for d in status.details]},
                "field_violations": violations}


class Reported(Exception):
    """An expected failure: its status is the case's result, with what the peer saw before it."""

    def __init__(self, error, result):
        super().__init__(error.code().name)
        self.error = error
        self.result = result


def main():
    protos, includes, target, key, case, options = parse_arguments(sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="imagegen-peer-") as output:
        generate_messages(protos, includes, output)
        peer = Peer(output, target, key)
        handler = getattr(peer, "case_" + case, None)
        if handler is None:
            raise SystemExit("unknown case " + case)
        done = {"done": True, "case": case}
        try:
            result = handler(options)
            done.update(code="OK", details="")
            done.update(result)
        except Reported as reported:
            done.update(code=reported.error.code().name, details=reported.error.details())
            done.update(reported.result)
        except grpc.RpcError as error:
            done.update(code=error.code().name, details=error.details())
        finally:
            peer.channel.close()
        emit(done)


if __name__ == "__main__":
    main()
