// The pipelines' build script. Cairn.Cake makes one target per stage of the selected pipeline
// (pipelines/NAME/pipeline.yaml; --pipeline=NAME when there are several), described and ordered there, plus Status,
// History, Health, Graph and Help. ./build.sh --target=Help lists them with every argument.
#load nuget:?package=Cairn.Cake&version=0.0.0-cairn

// Tasks of your own go here. One may depend on a stage's target, and a stage's target on one of yours:
//   Task("Publish").IsDependentOn("Summary").Does(() => CopyFile("../work/example/reports/summary.md", "../summary.md"));
//   Task("Download").Does(() => ...);  Stage("Ingest").IsDependentOn("Download");
// (cake.config keeps Cake at --verbosity=minimal, so that its banner per task stays off: Information(...) shows from
// --verbosity=normal; Console.WriteLine always.)

RunCairn();
