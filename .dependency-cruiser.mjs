// The layering of the monorepo, checked by `npm run lint` (README, "Architecture").
// Domain libraries, bottom to top: authz, audit, identity, compliance, register.
const DOMAIN = '^libs/(identity|authz|audit|register|compliance)/';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import circles, type-only ones included: every module graph is a tree of layers.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'foundation-knows-no-domain',
      severity: 'error',
      comment: 'libs/db (connection, naming, migrations), libs/common and libs/jobs sit below every domain.',
      from: { path: '^libs/(db|common|jobs)/' },
      to: { path: DOMAIN },
    },
    {
      name: 'common-is-the-floor',
      severity: 'error',
      comment: 'libs/common imports no other library.',
      from: { path: '^libs/common/' },
      to: { path: '^libs/', pathNot: '^libs/common/' },
    },
    {
      name: 'authz-on-common-only',
      severity: 'error',
      comment: 'libs/authz (roles, abilities, the record door) builds on libs/common alone.',
      from: { path: '^libs/authz/' },
      to: { path: '^libs/', pathNot: '^libs/(authz|common)/' },
    },
    {
      name: 'audit-on-authz-common-db-jobs',
      severity: 'error',
      comment: 'libs/audit may use authz, common, db and jobs (the repeating-job base), no other library.',
      from: { path: '^libs/audit/' },
      to: { path: '^libs/', pathNot: '^libs/(audit|authz|common|db|jobs)/' },
    },
    {
      name: 'identity-below-compliance-and-register',
      severity: 'error',
      comment: 'Accounts and sessions know nothing of the register or of compliance.',
      from: { path: '^libs/identity/' },
      to: { path: '^libs/(compliance|register)/' },
    },
    {
      name: 'compliance-below-register',
      severity: 'error',
      comment: 'The register uses compliance (statuses, alerts), never the other way round.',
      from: { path: '^libs/compliance/' },
      to: { path: '^libs/register/' },
    },
    {
      name: 'libs-below-apps',
      severity: 'error',
      comment: 'Libraries never import an app.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'libs-through-their-index',
      severity: 'error',
      comment: 'Another library is reached only through its door, `@app/<lib>` (its src/index.ts).',
      from: { path: '^(libs/[^/]+)/' },
      to: { path: '^libs/[^/]+/', pathNot: ['^$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'apps-through-lib-index',
      severity: 'error',
      comment: 'Apps and migrations reach a library only through `@app/<lib>` (its src/index.ts).',
      from: { path: '^(apps|migrations)/' },
      to: { path: '^libs/', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'migrations-stand-alone',
      severity: 'error',
      comment: 'Migrations are SQL as it was when written: no library, no app.',
      from: { path: '^migrations/' },
      to: { path: '^(libs|apps)/' },
    },
    {
      name: 'console-stand-alone',
      severity: 'error',
      comment: 'The console is a browser app: it talks to the api over HTTP and imports no service code.',
      from: { path: '^apps/console/' },
      to: { path: '^(libs|migrations)/|^apps/(?!console/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|data|node_modules|coverage|bench/results)/' },
    // Type-only imports count: a circle of types is still a circle.
    tsPreCompilationDeps: true,
    // Resolves the @app/<lib> aliases (tsconfig paths) to libs/<lib>/src/index.ts.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
