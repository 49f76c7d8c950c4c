export { World, type Asset, type Emit } from './world';
export { seededRandom } from './seeded-random';
export { Apps } from './apps';
export { demoThumb } from './thumbs';
