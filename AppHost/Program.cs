using AppHost;

// --scaled: the fleet as it runs across machines (ScaledProfile): shared PostgreSQL and S3, two of each stateless service.
var builder = DistributedApplication.CreateBuilder(ScaledProfile.Args(args));

// Durable data (images, run database, spool) outside every bin/: Pipeline:DataDirectory, default {repo}/.data.
var data = builder.AddDataDirectory();

// The secret every internal call carries (secret parameter internal-secret, generated unless set).
var internalSecret = builder.AddInternalSecret();

// Scaled profile only: PostgreSQL (run records, run-id claims, per-key limits) and an S3 server (image blobs); null otherwise.
var shared = builder.AddSharedBackendsWhenScaled(data);

// Storage: content-addressed images and run records (SQLite and files; PostgreSQL and S3 when scaled).
var storage = builder.AddProject<Projects.Storage_Service>("storage")
    .WithStorageData(data)
    .WithSharedBackends(shared)
    .WithInternalSecret(internalSecret)
    .WithHttpHealthCheck("/health");

// Provider emulator: stands in for every provider whose API key is not set (null when all keys are set).
var emulator = builder.AddProviderEmulatorWhenOffline();

// Provider adapters: the real provider when its key parameter is set, otherwise the emulator.
var openai = builder.AddProject<Projects.OpenAI_Adapter>("openai")
    .WithHttpHealthCheck("/health")
    .WithProvider(ProviderBinding.OpenAI, emulator)
    .WithInternalSecret(internalSecret);

var openrouter = builder.AddProject<Projects.OpenRouter_Adapter>("openrouter")
    .WithHttpHealthCheck("/health")
    .WithProvider(ProviderBinding.OpenRouter, emulator)
    .WithInternalSecret(internalSecret);

// Declarative adapter: executes api_output_chunk chunks, any HTTP image API described in JSON (secrets: *_API_KEY / *_API_TOKEN).
var declarative = builder.AddProject<Projects.Declarative_Adapter>("declarative")
    .WithHttpHealthCheck("/health")
    .WithDeclarativeProviders(emulator)
    .WithInternalSecret(internalSecret);

// ComfyUI adapter: runs the eco mode's output_chunk workflows on the ComfyUI at COMFYUI_URL, else on the emulator's.
var comfyui = builder.AddProject<Projects.ComfyUI_Adapter>("comfyui")
    .WithHttpHealthCheck("/health")
    .WithComfyUI(emulator)
    .WithInternalSecret(internalSecret);

// Router: resolves a config to a provider call, relays frames, stores the images (spool for when storage is down; each
// replica delivers its own spool slot).
var router = builder.AddProject<Projects.Router_Service>("router")
    .WithCatalogue()
    .WithSpool(data)
    .WithScaledReplicas(shared)
    .WithInternalSecret(internalSecret)
    .WithHttpHealthCheck("/health")
    .WithReference(storage).WithReference(openai).WithReference(openrouter).WithReference(declarative).WithReference(comfyui)
    .WaitFor(storage).WaitFor(openai).WaitFor(openrouter).WaitFor(declarative).WaitFor(comfyui);

// Gateway: the only public front door, on stable ports (http 8080, grpc 8081).
builder.AddProject<Projects.Gateway>("gateway")
    .WithGatewayPorts()
    .WithSharedLimits(shared)
    .WithDevelopmentApiKeys()
    .WithInternalSecret(internalSecret)
    .WithHttpHealthCheck("/health")
    .WithReference(router).WithReference(storage)
    .WaitFor(router);

// Every service: gRPC spans carry rpc.*; a crashed service is started again; the banner lists URLs, keys (ids of configured ones) and data folder.
builder.WithFleetDefaults();

builder.Build().Run();
