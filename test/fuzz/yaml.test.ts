import { describeSuite } from './support/describe-suite.js';
import { suite } from './yaml.suite.js';

describeSuite(suite);
