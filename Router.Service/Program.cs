using Router.Service.Api;
using Router.Service.Catalogue;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCatalogue();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapRouterApi();

app.Run();
