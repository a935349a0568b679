using Teleport.Orleans.Cli.Tsh;

LowLatencySockets.Enable();
TrustStorePrefetch.Start(args);
return await TshApp.RunAsync(args, new TshContext());
