"""A python grpcio client of the public imagegen.v1.ImageGeneration API, for the gateway's interop tests.

Run with Debian's /usr/bin/python3 (python3-grpcio, python3-protobuf). The message classes are generated from our
.proto files by protoc --python_out into GENERATED (the test does that); the stub is grpcio's generic
unary_stream / unary_unary, exactly what grpc_tools' *_pb2_grpc.py would contain.

  imagegen_client.py GENERATED TARGET KEY generate PROMPT CONFIG PARTIALS
      prints one JSON line per frame as it arrives, then {"done": true, "code": "OK" | status name, "details": ...}
  imagegen_client.py GENERATED TARGET KEY list_configs
      prints {"done": true, "code": ..., "configs": [names]}
KEY "-" sends no authorization metadata.
"""

import json
import sys
import time


def emit(record):
    print(json.dumps(record), flush=True)


def main():
    generated, target, key, case = sys.argv[1:5]
    sys.path.insert(0, generated)
    import grpc
    from imagegen.v1 import generation_pb2

    metadata = [] if key == "-" else [("authorization", "Bearer " + key)]
    channel = grpc.insecure_channel(target, options=[("grpc.max_receive_message_length", 64 * 1024 * 1024)])
    service = "/imagegen.v1.ImageGeneration/"
    try:
        if case == "generate":
            prompt, config, partials = sys.argv[5], sys.argv[6], int(sys.argv[7])
            generate = channel.unary_stream(
                service + "Generate",
                request_serializer=generation_pb2.GenerateRequest.SerializeToString,
                response_deserializer=generation_pb2.GenerateFrame.FromString)
            request = generation_pb2.GenerateRequest(
                prompt=prompt, config=config, parameters=generation_pb2.GenerationParameters(partial_images=partials))
            for frame in generate(request, metadata=metadata, timeout=120):
                kind = frame.WhichOneof("frame")
                record = {"frame": kind, "received_at": time.monotonic()}
                if kind == "accepted":
                    record.update(run_id=frame.accepted.run_id, config=frame.accepted.config, image_count=frame.accepted.image_count)
                elif kind == "partial":
                    record.update(image_index=frame.partial.image_index, partial_index=frame.partial.partial_index,
                                  bytes=len(frame.partial.data), png=frame.partial.data[:8] == b"\x89PNG\r\n\x1a\n")
                else:
                    record.update(image_index=frame.final.image_index, image_id=frame.final.image_id,
                                  url_path=frame.final.storage.url_path, sha256=frame.final.storage.sha256, last=frame.final.last)
                emit(record)
            emit({"done": True, "code": "OK"})
        elif case == "list_configs":
            list_configs = channel.unary_unary(
                service + "ListConfigs",
                request_serializer=generation_pb2.ListConfigsRequest.SerializeToString,
                response_deserializer=generation_pb2.ListConfigsResponse.FromString)
            response = list_configs(generation_pb2.ListConfigsRequest(language="de"), metadata=metadata, timeout=60)
            emit({"done": True, "code": "OK", "configs": [c.name for c in response.configs],
                  "display_names": [c.display_name for c in response.configs]})
        else:
            raise SystemExit("unknown case " + case)
    except grpc.RpcError as error:
        emit({"done": True, "code": error.code().name, "details": error.details()})
    finally:
        channel.close()


if __name__ == "__main__":
    main()
