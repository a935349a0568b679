using Teleport.Orleans.Cli.Tsh;

LowLatencySockets.Enable();
return await TshApp.RunAsync(args, new TshContext());
