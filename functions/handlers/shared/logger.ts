// The one Logger every handler uses. Prompts, completions, keys and secrets are never passed to it.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'llm-router' });
