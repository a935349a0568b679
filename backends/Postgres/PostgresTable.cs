namespace Teleport.Orleans.Backends.Postgres;

/// <summary>A table the backend creates when missing: its name and the statements that create it and its indexes.</summary>
internal sealed record PostgresTable(string Name, string Ddl);
