using AppHost;
using AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

// Dashboard: traces, logs and resource states (UI 18888, OTLP 18889 gRPC / 18890 HTTP). Started first, every service
// exports to it; none when --otlp-endpoint / PIPELINE_OTLP_ENDPOINT sends telemetry elsewhere.
builder.AddDashboard();

// Storage: content-addressed images and run records.
var storage = builder.AddProject("storage", "Storage.Service")
    .WithHttpHealthCheck("/health");

// Provider emulator: stands in for every provider whose API key is not set (null when all keys are set).
var emulator = builder.AddProviderEmulatorWhenOffline();

// Provider adapters: the real provider when its key is set, otherwise the emulator.
var openai = builder.AddProject("openai", "OpenAI.Adapter")
    .WithHttpHealthCheck("/health")
    .WithProvider("OpenAI", "OPENAI_API_KEY", emulator, emulatorPath: "/v1");

var openrouter = builder.AddProject("openrouter", "OpenRouter.Adapter")
    .WithHttpHealthCheck("/health")
    .WithProvider("OpenRouter", "OPENROUTER_API_KEY", emulator, emulatorPath: "/api/v1");

// Router: resolves a config to a provider call, relays frames, stores the images.
var router = builder.AddProject("router", "Router.Service")
    .WithHttpHealthCheck("/health")
    .WithReference(storage).WithReference(openai).WithReference(openrouter)
    .WaitFor(storage).WaitFor(openai).WaitFor(openrouter);

// Gateway: the only public front door, on stable ports (http 8080, grpc 8081).
builder.AddProject("gateway", "Gateway")
    .WithHttpHealthCheck("/health")
    .WithGatewayPorts()
    .WithDevelopmentApiKey()
    .WithReference(router).WithReference(storage)
    .WaitFor(router);

builder.Build().Run();
