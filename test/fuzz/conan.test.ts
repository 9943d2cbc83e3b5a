import { describeSuite } from './support/describe-suite.js';
import { suite } from './conan.suite.js';

describeSuite(suite);
