using BenchmarkDotNet.Running;

// bench/run-handler.sh drives it; any BenchmarkDotNet arguments work (e.g. --filter *Task*, --job short).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
