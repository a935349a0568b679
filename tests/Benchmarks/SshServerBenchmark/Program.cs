using Teleport.Orleans.Benchmarks.SshThroughput;

return await BenchmarkServer.RunAsync(args);
