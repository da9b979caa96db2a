using Storage.Service;
using Storage.Service.Http;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddStorageServices();

var app = builder.Build();

await app.InitializeStorageAsync();

app.MapDefaultEndpoints();
app.MapStorageHttpApi();
app.MapStorageGrpc();

app.Run();
