import { describeSuite } from './support/describe-suite.js';
import { suite } from './netrc.suite.js';

describeSuite(suite);
