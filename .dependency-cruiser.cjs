// The shape of the house, checked by `npm run lint` (dependency-cruiser): no import circle, and
// imports that run one way, from the faces down to AWS.
//
//   provider/dynamic/  (TypeScript face)      provider/plugin/  (every-language face)
//                 \                                /
//                  provider/lifecycle/  (check, diff, renewal, mint, the provider)
//                        |            \
//                        |       provider/destinations/  (deliverTo: SSM, Secrets Manager)
//                        |            /
//                  provider/aws/  (clients, retries and rate limiting, call limits, errors)
/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "A circle of imports: one of its modules belongs below the others.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "faces-apart",
      comment: "Each face adapts the lifecycle to Pulumi on its own: neither imports the other.",
      severity: "error",
      from: { path: "^provider/(dynamic|plugin)/" },
      to: { path: "^provider/(dynamic|plugin)/", pathNot: "^provider/$1/" },
    },
    {
      name: "lifecycle-below-the-faces",
      comment: "The lifecycle serves both faces and imports neither.",
      severity: "error",
      from: { path: "^provider/lifecycle/" },
      to: { path: "^provider/(dynamic|plugin)/" },
    },
    {
      name: "destinations-below-the-lifecycle",
      comment: "Destinations deliver a token; they know nothing of the lifecycle or the faces.",
      severity: "error",
      from: { path: "^provider/destinations/" },
      to: { path: "^provider/(lifecycle|dynamic|plugin)/" },
    },
    {
      name: "command-knows-the-faces-by-their-type-tokens",
      comment: "The command reads states; of the faces it needs only the type tokens they store.",
      severity: "error",
      from: { path: "^command/" },
      to: { path: "^provider/(dynamic|plugin)/", pathNot: "^provider/(dynamic|plugin)/type-token\\.ts$" },
    },
    {
      name: "aws-at-the-bottom",
      comment: "The AWS plumbing imports nothing else of the provider.",
      severity: "error",
      from: { path: "^provider/aws/" },
      to: { path: "^provider/(lifecycle|destinations|dynamic|plugin)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
