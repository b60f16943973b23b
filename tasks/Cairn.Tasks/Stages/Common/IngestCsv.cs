namespace Cairn.Stages.Common;

/// <summary>
/// <see cref="Ingest"/> under its first name, kept so that pipelines and MSBuild projects that name
/// <c>Cairn.Stages.Common.IngestCsv</c> keep working unchanged. It is the same stage: it reads Parquet as well as CSV,
/// and its messages name it IngestCsv. New pipelines name <see cref="Ingest"/>.
/// </summary>
public sealed class IngestCsv : Ingest
{
}
