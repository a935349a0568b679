using Teleport.Orleans.Ssh.Fuzz;

return await FuzzCommand.RunAsync(args);
