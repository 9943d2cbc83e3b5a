import { describeSuite } from './support/describe-suite.js';
import { suite } from './jfrog-cli.suite.js';

describeSuite(suite);
