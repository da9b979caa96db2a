using Router.Service.Catalogue;

var builder = WebApplication.CreateBuilder(args);

builder.AddCatalogue();

var app = builder.Build();

app.Run();
