using OpenAI.Adapter;
using Pipeline.Providers;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOpenAIAdapter();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapProviderAdapter();

app.Run();
