// `pnpm test` builds the h5 app through here: only when it is missing or older than its sources.
import { buildH5IfStale } from './h5-build';

buildH5IfStale();
