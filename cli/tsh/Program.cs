using Teleport.Orleans.Cli.Tsh;

return await TshApp.RunAsync(args, new TshContext());
