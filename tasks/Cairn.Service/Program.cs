using Cairn.Service.Hosting;

return await ServiceProgram.Run(args);
