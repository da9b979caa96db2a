using Router.Service;
using Router.Service.Api;
using Router.Service.Http;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRouterServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapRouterApi();
app.MapRouterHttpApi();

app.Run();
