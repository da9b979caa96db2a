using System.Runtime.CompilerServices;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Storage.V1;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;
using Pipeline.ServiceDefaults.Security;
using SkiaSharp;

namespace Gateway.Tests.TestSupport;

/// <summary>
/// The fake router's Generate, shared by its gRPC service and its <c>/api/generate</c>: resolves the config from its
/// catalogue like the router (config, else the mode's default), plays Accepted, the requested partial frames and one
/// Final per image, and stores every final image in the real Storage.Service so the ids are real. A size the models do
/// not offer is refused as the router refuses it: INVALID_ARGUMENT with a <c>google.rpc.BadRequest</c>.
/// </summary>
internal sealed class FakeGeneration(FakeRouterScript script, StorageBackend storage)
{
    private static readonly string[] s_sizes = ["auto", "1024x1024", "1024x1536", "1536x1024"];

    /// <summary>Plays the run for <paramref name="caller"/>, whose tenant owns it in storage.</summary>
    public async IAsyncEnumerable<GenerateFrame> RunAsync(GenerateRequest request, Caller caller, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (script.FailBeforeAccepted is { } failure)
        {
            throw failure;
        }
        var requested = Resolve(request);
        var config = script.FallbackTo is { } fallback ? Resolve(new GenerateRequest { Config = fallback }) : requested;
        if (request.Parameters is { HasSize: true, Size: var size } && !s_sizes.Contains(size))
        {
            var allowed = string.Join(", ", s_sizes);
            // Worded as the router words it.
            var description = $"config '{config.Name}' sets size='{size}'; allowed: {allowed}";
            throw RichStatus.Create(StatusCode.InvalidArgument, description,
                new Google.Rpc.BadRequest
                {
                    FieldViolations = { new Google.Rpc.BadRequest.Types.FieldViolation { Field = "parameters.size", Description = description } },
                }).ToRpcException();
        }
        var n = request.Parameters?.HasN == true ? request.Parameters.N : 1;
        var partials = request.Parameters?.HasPartialImages == true
            ? request.Parameters.PartialImages
            : (int)config.Parameters.Fields["partial_images"].NumberValue;
        var runId = request.RunId is { Length: > 0 } id ? id : "run-" + Guid.NewGuid().ToString("N")[..12];
        var run = new RunRecord
        {
            RunId = runId,
            Config = config.Name,
            Mode = request.Mode,
            Provider = config.Provider,
            Model = config.Model,
            Operation = config.Operation,
            Prompt = request.Prompt,
            Tenant = caller.Tenant,
            State = RunState.Running,
            CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow),
        };
        yield return new GenerateFrame { Accepted = new Accepted { RunId = runId, Config = requested.Name, Provider = requested.Provider, Model = requested.Model, ImageCount = n } };
        if (config != requested)
        {
            yield return new GenerateFrame
            {
                Fallback = new Fallback
                {
                    Config = config.Name, Provider = config.Provider, Model = config.Model, ImageCount = n,
                    Earlier =
                    {
                        new RunAttempt
                        {
                            Config = requested.Name, Provider = requested.Provider, Model = requested.Model,
                            Outcome = AttemptOutcome.Failed, StatusCode = "UNAVAILABLE", Reason = script.FallbackReason,
                        },
                    },
                },
            };
        }

        var color = Color(request.Prompt);
        for (var image = 0; image < n; image++)
        {
            for (var partial = 0; partial < partials; partial++)
            {
                if (script.PartialDelay > TimeSpan.Zero)
                {
                    await Task.Delay(script.PartialDelay, cancellationToken);
                }
                var preview = TestImages.Png(script.ImageSize, script.ImageSize, color, detail: (partial + 1.0) / (partials + 1));
                yield return new GenerateFrame { Partial = new Partial { ImageIndex = image, PartialIndex = partial, Data = ByteString.CopyFrom(preview), MimeType = "image/png" } };
            }
        }
        if (script.FailAfterPartials is { } late)
        {
            throw late;
        }
        if (script.HoldBeforeFinal is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }
        for (var image = 0; image < n; image++)
        {
            var bytes = TestImages.Png(script.ImageSize, script.ImageSize, color, detail: 1 - image * 0.1);
            var stored = await storage.Client.PutImageAsync(new PutImageRequest
            {
                Run = run,
                ImageIndex = image,
                Data = ByteString.CopyFrom(bytes),
                MimeType = "image/png",
            }, deadline: DateTime.UtcNow + TestTimeouts.Default, cancellationToken: cancellationToken);
            var final = ToFinal(stored.Image, bytes, request.IncludeImageData, last: image == n - 1);
            (final.Config, final.Provider, final.Model) = (config.Name, config.Provider, config.Model);
            yield return new GenerateFrame { Final = final };
        }
        run.State = RunState.Succeeded;
        run.CompletedAt = Timestamp.FromDateTime(DateTime.UtcNow);
        run.RevisedPrompt = script.RevisedPrompt;
        await storage.Client.UpsertRunAsync(run, deadline: DateTime.UtcNow + TestTimeouts.Default, cancellationToken: cancellationToken);
    }

    private ConfigInfo Resolve(GenerateRequest request)
    {
        var name = request.Config;
        if (name.Length == 0)
        {
            var media = request.MediaType is { Length: > 0 } m ? m : "image";
            var mode = request.Mode is { Length: > 0 } md ? md : "fast";
            name = script.Catalogue.Defaults.TryGetValue(media, out var defaults) && defaults.Modes.TryGetValue(mode, out var configured) ? configured : "";
        }
        return script.Catalogue.Configs.FirstOrDefault(c => c.Name == name)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Unknown config '{name}'."));
    }

    private Final ToFinal(ImageRecord image, byte[] bytes, bool includeData, bool last) => new()
    {
        ImageIndex = image.ImageIndex,
        ImageId = image.ImageId,
        MimeType = image.MimeType,
        Width = image.Width,
        Height = image.Height,
        RevisedPrompt = script.RevisedPrompt,
        Usage = new Usage { InputTokens = 10, InputTextTokens = 10, OutputTokens = 100, OutputImageTokens = 100, TotalTokens = 110 },
        CostUsdMicros = 1234,
        CostKnown = script.CostKnown,
        ChargedUsdMicros = 1234,
        Storage = new StorageReference { ImageId = image.ImageId, UrlPath = "/images/" + image.ImageId, Sha256 = image.Sha256, SizeBytes = image.SizeBytes },
        FinishReason = FinishReason.Stored,
        Last = last,
        Data = includeData ? ByteString.CopyFrom(bytes) : ByteString.Empty,
    };

    private static SKColor Color(string prompt)
    {
        var hash = (uint)prompt.GetHashCode(StringComparison.Ordinal);
        return new SKColor((byte)hash, (byte)(hash >> 8), (byte)(hash >> 16));
    }
}
