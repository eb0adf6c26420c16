// The services layer (Sentry's `utils/services.py`): backends chosen by name from settings,
// `Context`, `Delegator`, and `setup_services`. Its first users are the metrics backends and the
// permission store.

export { Context } from "./context.ts";
export { currentContext, Delegator, type DelegatorCallback, type Selector } from "./delegator.ts";
export { METRICS_BACKENDS, type MetricsBackend } from "./metrics/index.ts";
export { PERMISSION_STORES, type PermissionStore } from "./permissions/index.ts";
export {
  BackendRegistry,
  InvalidBackend,
  InvalidConfiguration,
  LazyServiceWrapper,
  type Service,
} from "./service.ts";
export { SELECTORS, SERVICE_DELEGATOR } from "./service-delegator.ts";
export { buildServices, type Services, setupServices, skipValidation } from "./setup.ts";
