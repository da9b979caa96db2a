using OpenRouter.Adapter;
using Pipeline.Providers;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOpenRouterAdapter();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapProviderAdapter();

app.Run();
