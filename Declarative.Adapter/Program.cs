using Declarative.Adapter;
using Pipeline.Providers;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDeclarativeAdapter();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapProviderAdapter();

app.Run();
