import { describeSuite } from './support/describe-suite.js';
import { suite } from './go-env.suite.js';

describeSuite(suite);
