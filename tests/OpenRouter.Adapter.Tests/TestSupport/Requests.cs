using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Provider.V1;
using Grpc.Core;

namespace OpenRouter.Adapter.Tests.TestSupport;

/// <summary>Provider requests and call options the tests use.</summary>
internal static class Requests
{
    public const string Gemini = "google/gemini-2.5-flash-image";

    public static ProviderRequest Chat(string prompt = "a lighthouse at dusk", string model = Gemini, string size = "", int n = 0, int partialImages = 0) => new()
    {
        Operation = Operation.Chat,
        Model = model,
        Prompt = prompt,
        Size = size,
        N = n,
        PartialImages = partialImages,
        RunId = "run-test",
    };

    /// <summary>A small, fast image (image_size 0.5K: 512×512 for 1:1).</summary>
    public static ProviderRequest Small(string prompt = "a lighthouse at dusk", int partialImages = 0, int n = 0)
    {
        var request = Chat(prompt, partialImages: partialImages, n: n);
        request.Extra = new Struct { Fields = { ["image_size"] = Value.ForString("0.5K") } };
        return request;
    }

    /// <summary>The caller's own provider key in the call metadata, with a deadline (default <see cref="TaskTimeouts.Default"/>).</summary>
    public static CallOptions WithKey(string key, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Deadline(timeout, cancellationToken).WithHeaders(new Metadata { { ProviderAdapter.ProviderKeyHeader, key } });

    /// <summary>A call deadline <paramref name="timeout"/> from now (default <see cref="TaskTimeouts.Default"/>).</summary>
    public static CallOptions Deadline(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        new(deadline: DateTime.UtcNow + (timeout ?? TaskTimeouts.Default), cancellationToken: cancellationToken);
}
