// The one bundle behind every worker of the page (see role.ts): each module below answers
// messages only in a worker started for its role.
import { markLoadStage } from '../loadMarks.ts';
import './evalWorker.ts';
import './backgroundWorker.ts';
import './exportWorker.ts';
import './backtestWorker.ts';

markLoadStage('worker-loaded');
