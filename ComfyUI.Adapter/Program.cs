using ComfyUI.Adapter;
using Pipeline.Providers;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddComfyUIAdapter();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapProviderAdapter();

app.Run();
