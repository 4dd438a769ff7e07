// Streaming handlers call `awslambda.streamifyResponse` at import time, as in the Lambda runtime.
import { installAwsLambdaShim } from '#local/awslambda-shim.ts';

installAwsLambdaShim();
