import { describeSuite } from './support/describe-suite.js';
import { suite } from './java-properties.suite.js';

describeSuite(suite);
