// Placeholder until this project's benchmarks land; replaced in the package's own issue.
console.log(JSON.stringify({ project: 'bench', benchmarks: [] }));
