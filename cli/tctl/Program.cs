using Teleport.Orleans.Cli.Tctl;

return await TctlApp.RunAsync(args, Console.Out, Console.Error);
