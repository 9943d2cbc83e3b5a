import { describeSuite } from './support/describe-suite.js';
import { suite } from './hcl.suite.js';

describeSuite(suite);
